// Entry of the apps' esignet-callback.html: runs once on load. Nothing else is bundled with it.
import { runEsignetCallback } from './callback'

runEsignetCallback(window)

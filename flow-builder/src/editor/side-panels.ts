import { registerHeaderWidget, registerPanel } from './editor-api'
import { EditorsPresence } from '../collab/EditorsPresence'
import { SimulatorPanel } from '../simulator/SimulatorPanel'
import { VersionsPanel } from '../versions/VersionsPanel'
import { TriggersPanel } from '../triggers/TriggersPanel'

/**
 * The side panels of the editor (imported once by the editor page for these registrations):
 * the simulator, versions and triggers (what starts this flow) tabs, and the top-bar widget with the other editors' presence,
 * draft-saved notices and the stale-save conflict dialog.
 */
registerPanel({ id: 'simulator', label: 'simulator.tab', order: 20, component: SimulatorPanel })
registerPanel({ id: 'versions', label: 'versions.tab', order: 30, component: VersionsPanel })
registerPanel({ id: 'triggers', label: 'triggers.tab', order: 40, component: TriggersPanel })
registerHeaderWidget({ id: 'editors-presence', order: 10, component: EditorsPresence })

import { shallowRef, type Component } from 'vue'

/**
 * The place in the top bar for the call controls. The voice module registers its softphone here
 * (sip.js); until then the slot shows that no phone is connected.
 */
export const softphoneComponent = shallowRef<Component | null>(null)

export function registerSoftphone(component: Component): void {
  softphoneComponent.value = component
}

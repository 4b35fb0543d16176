/** The event-loop hooks of libvirt-event.h that bindings expose (virEventAddHandle and friends). */

/** virEventHandleType: the conditions a watched file handle reports. */
export enum EventHandleType {
  /** data can be read */
  VIR_EVENT_HANDLE_READABLE = 1,
  /** data can be written */
  VIR_EVENT_HANDLE_WRITABLE = 2,
  /** an error condition */
  VIR_EVENT_HANDLE_ERROR = 4,
  /** the peer hung up */
  VIR_EVENT_HANDLE_HANGUP = 8,
}

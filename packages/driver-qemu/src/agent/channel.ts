/**
 * The guest agent's channel of a running domain and the connection to it (libvirt's
 * qemuConnectAgent, processSerialChangedEvent, qemuProcessRefreshChannelVirtioState).
 *
 * QEMU serves the channel's UNIX socket; the driver connects only while the guest has the port
 * open (QEMU reports it in query-chardev's `frontend-open` and the VSERPORT_CHANGE event), writes
 * the port state into the live XML (`<target ... state='connected'/>`) and sends the
 * AGENT_LIFECYCLE event for the agent's port.
 */
import {
  ConnectDomainEventAgentLifecycleReason as Reason,
  ConnectDomainEventAgentLifecycleState as State,
  DomainEventID,
  ErrorNumber,
  VirError,
} from '@virtkit/core';
import type { DomainDef, DomainDevice } from '@virtkit/xml';
import { FROM_QEMU, notRunning } from '../domains/errors';
import type { QemuDomainObj } from '../domains/obj';
import { liveXml } from '../domains/start';
import type { QemuDriver } from '../qemu-driver';
import { AgentClient, agentUnresponsive } from './client';

export const AGENT_CHANNEL_NAME = 'org.qemu.guest_agent.0';

/** Per-domain agent state (priv->agent, priv->agentError). */
export interface AgentState {
  client?: AgentClient;
  /** Connecting to the socket failed: the agent stays unavailable until the port closes. */
  error: boolean;
}

export function agentState(obj: QemuDomainObj): AgentState {
  return obj.extension<AgentState>('agent', () => ({ error: false }));
}

/** qemuFindAgentConfig: the virtio channel named for the guest agent, on a UNIX socket. */
export function agentChannel(def: DomainDef): DomainDevice | undefined {
  return def.devices.find(
    (d) =>
      d.kind === 'channel' &&
      d.el.attr('type') === 'unix' &&
      d.el.element('target')?.attr('type') === 'virtio' &&
      d.el.element('target')?.attr('name') === AGENT_CHANNEL_NAME,
  );
}

function isVirtioChannel(d: DomainDevice): boolean {
  return d.kind === 'channel' && d.el.element('target')?.attr('type') === 'virtio';
}

/** qemuDomainAgentAvailable: the connected agent, or libvirt's error saying why there is none. */
export function availableAgent(obj: QemuDomainObj): AgentClient {
  if (!obj.active) throw notRunning();
  const st = agentState(obj);
  if (st.error) throw agentUnresponsive('QEMU guest agent is not available due to an error');
  if (st.client && !st.client.closed) return st.client;
  if (agentChannel(obj.def)) throw agentUnresponsive('QEMU guest agent is not connected');
  throw VirError.create(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, FROM_QEMU, 'QEMU guest agent is not configured');
}

/** Whether an agent is connected (the default shutdown method prefers it then). */
export function agentConnected(obj: QemuDomainObj): boolean {
  const c = agentState(obj).client;
  return obj.active && c !== undefined && !c.closed;
}

async function connect(obj: QemuDomainObj): Promise<void> {
  const st = agentState(obj);
  const path = agentChannel(obj.def)?.el.element('source')?.attr('path');
  if (st.client && !st.client.closed) return;
  if (!path) return;
  try {
    st.client = await AgentClient.connect(path);
    st.error = false;
  } catch {
    st.error = true;
  }
}

function disconnect(obj: QemuDomainObj): void {
  const st = agentState(obj);
  st.client?.close();
  st.client = undefined;
  st.error = false;
}

/** Record a virtio port's state in the live XML; whether it changed. */
function setPortState(dev: DomainDevice, connected: boolean): boolean {
  const target = dev.el.element('target');
  const value = connected ? 'connected' : 'disconnected';
  if (!target || target.attr('state') === value) return false;
  target.attrs.set('state', value);
  return true;
}

function lifecycle(driver: QemuDriver, obj: QemuDomainObj, connected: boolean, reason: Reason): void {
  driver.emit(DomainEventID.VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE, obj.ref(), {
    state: connected
      ? State.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED
      : State.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED,
    reason,
  });
}

interface ChardevInfo {
  label: string;
  'frontend-open'?: boolean;
}

/**
 * After a start (`booted`) or a reconnect: read every virtio port's state from query-chardev,
 * record it, announce the agent's, and connect to the agent if the guest has its port open.
 */
export async function refreshChannels(driver: QemuDriver, obj: QemuDomainObj, booted: boolean): Promise<void> {
  const def = obj.def;
  const channels = def.devices.filter(isVirtioChannel);
  if (channels.length === 0) return;
  const infos = await obj.monitor().execute<ChardevInfo[]>('query-chardev');
  const open = new Map(infos.map((i) => [i.label, i['frontend-open']]));
  const agent = agentChannel(def);
  let changed = false;
  for (const dev of channels) {
    const state = open.get(`char${dev.el.element('alias')?.attr('name') ?? ''}`);
    if (state === undefined) continue;
    changed = setPortState(dev, state) || changed;
    if (dev !== agent) continue;
    if (state) await connect(obj);
    lifecycle(
      driver,
      obj,
      state,
      booted
        ? Reason.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED
        : Reason.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL,
    );
  }
  if (changed && obj.active) await obj.runtime.updateLiveXml(liveXml(def));
}

/** VSERPORT_CHANGE: the guest opened or closed a virtio port. */
export async function portChanged(driver: QemuDriver, obj: QemuDomainObj, alias: string, open: boolean): Promise<void> {
  if (!obj.active) return;
  const dev = obj.def.devices.find((d) => isVirtioChannel(d) && d.el.element('alias')?.attr('name') === alias);
  if (!dev) return;
  const changed = setPortState(dev, open);
  if (dev === agentChannel(obj.def)) {
    if (open) await connect(obj);
    else disconnect(obj);
    lifecycle(driver, obj, open, Reason.VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL);
  }
  if (changed && obj.active) await obj.runtime.updateLiveXml(liveXml(obj.def));
}

/** The domain stopped: drop the connection (QEMU closed the socket anyway). */
export function agentStopped(obj: QemuDomainObj): void {
  disconnect(obj);
}

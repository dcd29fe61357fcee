/**
 * Assistive devices and the safety alarm (Device + DeviceUseStatement): lifts and sling sizes,
 * two-person transfers, oxygen, the trygghetslarm. One line per device, the safety alarm first.
 */
import { at, conceptText, list, refId, str } from '../fhir-read.ts';
import { isVoid, noteTexts, type LoadedResource, type ResidentResources } from './load.ts';

export interface DeviceItem {
  readonly id: string;
  readonly name: string;
  /** The device type as written (Device.type). */
  readonly kind: string | undefined;
  /** Notes on the device and on its use, verbatim, without repeats. */
  readonly notes: string[];
  readonly status: string | undefined;
  readonly safetyAlarm: boolean;
}

const ALARM = /trygghetslarm|safety ?alarm|personal ?alarm|larmknapp/i;

function deviceName(d: LoadedResource | undefined): string | undefined {
  if (!d) return undefined;
  return (
    str(at(list(at(d.json, 'deviceName'))[0], 'name')) ??
    conceptText(at(d.json, 'type')) ??
    str(at(d.json, 'modelNumber'))
  );
}

export function deviceItems(res: ResidentResources): DeviceItem[] {
  const devices = new Map(res.byType('Device').map((d) => [d.id, d]));
  const items = new Map<string, DeviceItem>();
  const add = (
    key: string,
    device: LoadedResource | undefined,
    use: LoadedResource | undefined,
  ) => {
    const name =
      deviceName(device) ??
      str(at(use?.json ?? null, 'device', 'display')) ??
      conceptText(at(use?.json ?? null, 'bodySite')) ??
      '';
    const notes = [
      ...(noteTexts(at(device?.json ?? null, 'note'))?.split('\n') ?? []),
      ...(noteTexts(at(use?.json ?? null, 'note'))?.split('\n') ?? []),
    ];
    const kind = device ? conceptText(at(device.json, 'type')) : undefined;
    const prev = items.get(key);
    items.set(key, {
      id: key,
      name: prev?.name || name,
      kind: prev?.kind ?? kind,
      // A note that only repeats the name (with a full stop) says nothing new.
      notes: [...new Set([...(prev?.notes ?? []), ...notes])].filter(
        (n) => n !== '' && n.replace(/\.$/, '') !== (prev?.name || name),
      ),
      status: str(at(use?.json ?? null, 'status')) ?? str(at(device?.json ?? null, 'status')),
      safetyAlarm: ALARM.test(`${name} ${kind ?? ''} ${notes.join(' ')}`) || kind === 'alarm',
    });
  };
  for (const use of res.byType('DeviceUseStatement')) {
    if (isVoid(use.json) || ['completed', 'stopped'].includes(str(at(use.json, 'status')) ?? ''))
      continue;
    const deviceId = refId(at(use.json, 'device'), 'Device');
    add(
      deviceId ?? `DeviceUseStatement/${use.id}`,
      deviceId ? devices.get(deviceId) : undefined,
      use,
    );
  }
  for (const d of devices.values()) {
    if (items.has(d.id)) continue;
    if (isVoid(d.json) || str(at(d.json, 'status')) === 'inactive') continue;
    add(d.id, d, undefined);
  }
  return [...items.values()].sort(
    (a, b) => Number(b.safetyAlarm) - Number(a.safetyAlarm) || a.name.localeCompare(b.name, 'sv'),
  );
}

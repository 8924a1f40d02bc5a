import { formatGoTime } from './go-time.js';
import { GoDuration, GoMap, GoSlice, GoStruct, GoTime, Int, sprintV, typeName, type GoValue } from './values.js';

/** A method call: `fail` raises an execution error at the call. */
export type Method = (fail: (msg: string) => never, args: GoValue[]) => GoValue;

function noArgs(name: string, f: () => GoValue): Method {
  return (fail, args) => {
    if (args.length > 0) fail(`wrong number of args for ${name}: want 0 got ${args.length}`);
    return f();
  };
}

/** The few methods rule templates call on values: time's Unix/UnixMilli/UTC/String, Duration's conversions. */
export function methodOf(recv: GoValue, name: string): Method | undefined {
  if (recv instanceof GoMap || recv instanceof GoSlice || recv instanceof GoStruct) {
    const m = recv.methods?.get(name);
    if (m) return (fail, args) => m(args, fail);
  }
  if (recv instanceof GoTime) {
    switch (name) {
      case 'Unix':
        return noArgs(name, () => new Int(Math.floor(recv.ms / 1000)));
      case 'UnixMilli':
        return noArgs(name, () => new Int(recv.ms));
      case 'UTC':
        return noArgs(name, () => recv);
      case 'String':
        return noArgs(name, () => sprintV(recv));
      case 'Format':
        return (fail, args) => {
          if (args.length !== 1) fail(`wrong number of args for Format: want 1 got ${args.length}`);
          if (typeof args[0] !== 'string') fail(`wrong type for value; expected string; got ${typeName(args[0] ?? null)}`);
          return formatGoTime(recv, args[0] as string);
        };
      case 'Add':
        return (fail, args) => {
          const d = args[0];
          if (args.length !== 1) fail(`wrong number of args for Add: want 1 got ${args.length}`);
          if (!(d instanceof GoDuration)) fail(`wrong type for value; expected time.Duration; got ${typeName(d ?? null)}`);
          const ns = recv.subMsNs + (d as GoDuration).ns;
          const carry = Math.floor(ns / 1e6);
          return new GoTime(recv.ms + carry, ns - carry * 1e6);
        };
    }
  }
  if (recv instanceof GoDuration) {
    switch (name) {
      case 'Seconds':
        return noArgs(name, () => recv.ns / 1e9);
      case 'Minutes':
        return noArgs(name, () => recv.ns / 6e10);
      case 'Hours':
        return noArgs(name, () => recv.ns / 3.6e12);
      case 'Milliseconds':
        return noArgs(name, () => new Int(Math.trunc(recv.ns / 1e6)));
      case 'String':
        return noArgs(name, () => sprintV(recv));
    }
  }
  return undefined;
}

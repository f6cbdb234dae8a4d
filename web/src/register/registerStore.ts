// The register session this browser sells in, per cashier, so a reload resumes it.
import type { RegisterRef } from '../shell/context';

const key = (username: string) => `pos.register.${username}`;

export function loadRegister(username: string): RegisterRef | null {
  try {
    const raw = localStorage.getItem(key(username));
    return raw ? (JSON.parse(raw) as RegisterRef) : null;
  } catch {
    return null;
  }
}

export function saveRegister(username: string, register: RegisterRef | null): void {
  if (register) localStorage.setItem(key(username), JSON.stringify(register));
  else localStorage.removeItem(key(username));
}

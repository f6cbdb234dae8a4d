// Held sales, kept in this browser until recalled.
import { cartFromJson, cartToJson, type Cart } from './cart';

export interface HeldSale {
  id: string;
  heldAt: string;
  cart: Cart;
}

const key = (sessionId: string) => `pos.held.${sessionId}`;

export function loadHeld(sessionId: string): HeldSale[] {
  try {
    const raw = localStorage.getItem(key(sessionId));
    if (!raw) return [];
    const list = JSON.parse(raw) as { id: string; heldAt: string; cart: string }[];
    return list.flatMap((h) => {
      const cart = cartFromJson(h.cart);
      return cart ? [{ id: h.id, heldAt: h.heldAt, cart }] : [];
    });
  } catch {
    return [];
  }
}

export function saveHeld(sessionId: string, held: HeldSale[]): void {
  localStorage.setItem(key(sessionId), JSON.stringify(held.map((h) => ({ id: h.id, heldAt: h.heldAt, cart: cartToJson(h.cart) }))));
}

// The API's coded errors, in the cashier's words: never a raw message.
import type { CombinedError } from '@urql/core';
import type { TFunction } from 'i18next';

export interface AppError {
  code: string;
  field: string | null;
  extensions: Record<string, unknown>;
}

export function errorOf(error: CombinedError): AppError {
  const first = error.graphQLErrors[0];
  if (!first) return { code: 'NETWORK', field: null, extensions: {} };
  const extensions = first.extensions;
  const code = typeof extensions.code === 'string' ? extensions.code : 'UNKNOWN';
  const field = typeof extensions.field === 'string' ? extensions.field : null;
  return { code, field, extensions };
}

export function isNetwork(error: CombinedError): boolean {
  return error.graphQLErrors.length === 0 && error.networkError !== undefined;
}

export interface ErrorContext {
  /** Names a product by its ID (INSUFFICIENT_STOCK names the product by ID). */
  productName?: (id: string) => string | null;
  /** What CONFLICT means where it happened. */
  conflictKey?: string;
  /** What UNAUTHENTICATED means where it happened (wrong login, or a session that ended). */
  unauthenticatedKey?: string;
}

const KNOWN = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYMENT_INSUFFICIENT',
  'REGISTER_CLOSED',
  'INTERNAL',
  'NETWORK',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

export function describeError(t: TFunction, error: AppError, context: ErrorContext = {}): string {
  const ext = error.extensions;
  switch (error.code) {
    case 'INSUFFICIENT_STOCK': {
      const id = typeof ext.productId === 'string' ? ext.productId : '';
      const name = context.productName?.(id) ?? id;
      const available = typeof ext.available === 'string' || typeof ext.available === 'number' ? String(ext.available) : '0';
      return t('errors.INSUFFICIENT_STOCK', { name, available });
    }
    case 'RATE_LIMITED': {
      const seconds = typeof ext.retryAfterSeconds === 'number' || typeof ext.retryAfterSeconds === 'string' ? String(ext.retryAfterSeconds) : '60';
      return t('errors.RATE_LIMITED', { seconds });
    }
    case 'BAD_USER_INPUT':
      return error.field ? t('errors.BAD_USER_INPUT', { field: error.field }) : t('errors.BAD_USER_INPUT_plain');
    case 'CONFLICT':
      return t(context.conflictKey ?? 'errors.CONFLICT');
    case 'UNAUTHENTICATED':
      return t(context.unauthenticatedKey ?? 'errors.UNAUTHENTICATED');
    default:
      return KNOWN.has(error.code) ? t(`errors.${error.code}`) : t('errors.UNKNOWN');
  }
}

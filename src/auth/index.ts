export * from './api-keys.ts';
export * from './identity-token.ts';

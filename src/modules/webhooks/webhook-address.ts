/** Where a webhook may be sent: the policy every outgoing request of the registry shares (src/shared/address-policy.ts). */
export { AddressPolicy, allowList } from '../../shared/address-policy'

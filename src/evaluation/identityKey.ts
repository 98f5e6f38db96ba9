/** The composite identity key Flagsmith hashes with: "{apiKey}_{identifier}". */
export const identityKey = (apiKey: string, identifier: string): string => `${apiKey}_${identifier}`;

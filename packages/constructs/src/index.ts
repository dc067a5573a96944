export * from './platform-app';
export * from './platform-stack';
export * from './service-registry';
export * from './stacks';
export * from './state-bucket';

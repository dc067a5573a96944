export * from './aws';
export * from './catalogue';
export * from './cidr';
export * from './schema';
export * from './stacks';
export * from './supporting-services';
export * from './validate';

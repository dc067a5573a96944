export * from './cli';
export * from './report';
export * from './rules';
export * from './terraform-json';

export * from './rules';
export * from './terraform-json';

export * from './time';
export * from './report';
export * from './loops';
export * from './events';
export * from './correlation';
export * from './analysis';

import type { RouteRegistration } from '../routeContext.ts';
import { commandRoutes } from './commandRoutes.ts';
import { environmentDocumentRoutes } from './environmentDocumentRoutes.ts';
import { experimentRoutes } from './experimentRoutes.ts';
import { featureRoutes } from './featureRoutes.ts';
import { healthRoutes } from './healthRoutes.ts';
import { metricsRoutes } from './metricsRoutes.ts';

/** Every route group of the server. A new group is one file and one line here. */
export const routes: RouteRegistration[] = [commandRoutes, featureRoutes, experimentRoutes, healthRoutes, metricsRoutes, environmentDocumentRoutes];

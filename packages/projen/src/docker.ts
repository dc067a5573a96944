import { catalogue, ecrRegistry, ecrRepositoryName, type Language, type Platform, type Service } from '@platform-kit/config';
import { MARKER } from './kit';
import { render } from './templates';

/** A file of a generated repo: its path relative to the repo root (e.g. services/api/Dockerfile) and contents. */
export interface ServiceFile {
  readonly path: string;
  readonly contents: string;
}


/** The application source of each language, besides the Dockerfile and .dockerignore: templates/docker/<language>/<file>.hbs. */
const SOURCES: Record<Language, readonly string[]> = {
  node: ['package.json', 'package-lock.json', 'server.js'],
  python: ['requirements.txt', 'app.py'],
  go: ['go.mod', 'main.go'],
  generic: ['public/index.html', 'public/healthz'],
};

/** The user-owned sample files of one service: Dockerfile, .dockerignore, and the app source for its language. */
export function serviceFiles(platform: Platform, service: Service): ServiceFile[] {
  const data = {
    platform: platform.name,
    service: service.name,
    language: service.language,
    port: service.port,
    // Non-root processes may bind ports below 1024 in Docker, not always on Kubernetes: the Dockerfile says so.
    lowPort: service.port < 1024,
    module: `${platform.name}/${service.name}`,
    images: catalogue.containerImages,
  };
  const dir = `services/${service.name}`;
  return [
    { path: `${dir}/Dockerfile`, contents: render(`docker/${service.language}/Dockerfile`, data) },
    { path: `${dir}/.dockerignore`, contents: render('docker/dockerignore', data) },
    ...SOURCES[service.language].map((file) => ({ path: `${dir}/${file}`, contents: render(`docker/${service.language}/${file}`, data) })),
  ];
}

/** scripts/docker.sh: builds and pushes the services' images (managed). */
export function dockerScript(platform: Platform): string {
  return render('platform/docker.sh', {
    marker: MARKER,
    name: platform.name,
    registry: ecrRegistry(platform),
    region: platform.aws.region,
    services: platform.services.map((service) => ({ name: service.name, repository: ecrRepositoryName(platform, service) })),
  });
}

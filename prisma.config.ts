// Read by the Prisma CLI only. Avvik applies migrations itself (`avvik db migrate`),
// because the CLI's native schema engine cannot be downloaded on every machine.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});

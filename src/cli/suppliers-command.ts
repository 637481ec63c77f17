import type { Command } from 'commander';
import { emptyCover } from '../ingest/model.ts';
import { supplierCodeFor } from '../db/store-declaration.ts';
import { openAppContext } from './context.ts';

interface AddSupplierOptions {
  name: string;
  orgNumber?: string;
  system?: string[];
  json?: boolean;
}

/**
 * Registers `avvik suppliers add`, which stores a supplier and its business systems before any
 * declaration names them, so that its users and municipality users can be created first.
 */
export function registerSuppliersCommand(program: Command): void {
  const suppliers = program.command('suppliers').description('Manage suppliers and their business systems.');
  suppliers
    .command('add')
    .description('Store a supplier, and optionally its business systems, and print their codes and ids.')
    .requiredOption('--name <name>', 'the supplier as its declarations name it')
    .option('--org-number <number>', 'organisation number, e.g. 556123-4567; the party code is derived from it')
    .option('--system <name...>', 'business systems the supplier sells, as declarations name them')
    .option('--json', 'print the supplier and systems as JSON')
    .addHelpText(
      'after',
      `
The party code is ORG- and the organisation number's digits, or SUP- and the name in capitals
without one: the same code that processing a declaration from this supplier gives. Adding a
supplier or system that exists changes nothing.

Example:
  $ npx avvik suppliers add --name "Kommunsystem Norr AB" --org-number 556123-4567 --system "Norrbistånd"`,
    )
    .action(async (options: AddSupplierOptions) => {
      await addSupplier(options);
    });
}

async function addSupplier(options: AddSupplierOptions): Promise<void> {
  const code = supplierCodeFor({ ...emptyCover(), supplier: options.name, organisationNumber: options.orgNumber ?? null });
  if (!code) throw new Error(`The name ${JSON.stringify(options.name)} gives no party code; give a name with letters or digits.`);

  const context = await openAppContext();
  try {
    const { prisma } = context.database;
    const supplier = await prisma.party.upsert({
      where: { code },
      create: { code, kind: 'supplier', name: options.name, organisationNumber: options.orgNumber ?? null },
      update: {},
      select: { id: true, code: true, name: true, kind: true },
    });
    if (supplier.kind !== 'supplier') throw new Error(`The code ${code} belongs to a party of another kind.`);

    const systems = [];
    for (const name of options.system ?? []) {
      systems.push(
        await prisma.businessSystem.upsert({
          where: { supplierId_name: { supplierId: supplier.id, name } },
          create: { supplierId: supplier.id, name },
          update: {},
          select: { id: true, name: true },
        }),
      );
    }

    if (options.json) {
      console.log(JSON.stringify({ code: supplier.code, name: supplier.name, systems }, null, 2));
      return;
    }
    console.log(`Supplier ${supplier.code}: ${supplier.name}`);
    for (const system of systems) console.log(`  business system ${system.id}: ${system.name}`);
  } finally {
    await context.close();
  }
}

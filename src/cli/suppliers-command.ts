import { InvalidArgumentError, type Command } from 'commander';
import { luhnCheckDigit } from '../declarations/luhn.ts';
import { MAX_NAME_LENGTH } from '../ingest/cover.ts';
import { emptyCover } from '../ingest/model.ts';
import { sameName } from '../ingest/text.ts';
import { supplierCodeFor } from '../db/store-declaration.ts';
import { openAppContext } from './context.ts';

interface AddSupplierOptions {
  name: string;
  orgNumber?: string;
  acceptCheckDigit?: boolean;
  system?: string[];
  json?: boolean;
}

/**
 * Registers `avvik suppliers add`, which stores a supplier and its business systems before any
 * declaration names them, so that its users and municipality users can be created first, and
 * `avvik suppliers list`.
 */
export function registerSuppliersCommand(program: Command): void {
  const suppliers = program.command('suppliers').description('Manage suppliers and their business systems.');
  suppliers
    .command('add')
    .description('Store a supplier, and optionally its business systems, and print their codes and ids.')
    .requiredOption('--name <name>', 'the supplier as its declarations name it')
    .option(
      '--org-number <number>',
      'Swedish organisation number, 10 digits as NNNNNN-NNNN or NNNNNNNNNN, e.g. 556123-4567; the party code is derived from it',
      parseOrganisationNumber,
    )
    .option('--accept-check-digit', 'store an organisation number with a wrong check digit as written, with a warning')
    .option('--system <name...>', 'business systems the supplier sells, as declarations name them')
    .option('--json', 'print the supplier and systems as JSON')
    .addHelpText(
      'after',
      `
The party code is ORG- and the organisation number's digits, or SUP- and the name in capitals
without one: the same code that processing a declaration from this supplier gives. An
organisation number with a wrong check digit, the last one, is rejected as a likely typing
error. Processing a declaration does not check the digit, and a cover's number with a wrong one
is stored without a warning. To add a supplier exactly as such declarations name it, give
--accept-check-digit. Adding a supplier or system that exists changes nothing. A supplier
stored under another name with the same code is an error.

Examples:
  $ npx avvik suppliers add --name "Kommunsystem Norr AB" --org-number 556123-4567 --system "Norrbistånd"
  $ npx avvik suppliers add --name "Skrivfel AB" --org-number 556123-4568 --accept-check-digit`,
    )
    .action(async (options: AddSupplierOptions, command: Command) => {
      const wrongCheckDigit = options.orgNumber ? describeWrongCheckDigit(options.orgNumber) : null;
      if (wrongCheckDigit && !options.acceptCheckDigit) {
        command.error(
          `error: option '--org-number <number>' argument '${options.orgNumber}' is invalid. ${wrongCheckDigit} ` +
            'Check the number for a typing error, or give --accept-check-digit to store it as written, as processing a declaration does.',
        );
      }
      if (wrongCheckDigit) {
        console.error(`Warning: organisation number ${options.orgNumber} is used as written because of --accept-check-digit. ${wrongCheckDigit}`);
      }
      await addSupplier(options);
    });
  suppliers
    .command('list')
    .description('List the stored suppliers with their party codes, organisation numbers and business system ids.')
    .option('--json', 'print one JSON array')
    .addHelpText('after', '\nExample:\n  $ npx avvik suppliers list')
    .action(async (options: { json?: boolean }) => {
      await listSuppliers(options.json ?? false);
    });
}

const ORGANISATION_NUMBER_FORM = /^(\d{6})[-–]?(\d{4})$/u;

/**
 * Reads a Swedish organisation number as NNNNNN-NNNN, the form in which the parser stores one read
 * from a declaration, so that both give the same party code. Raises InvalidArgumentError for any
 * other form, the 12-digit one with a 16 or century prefix included. The parser stores those
 * 12-digit forms in the 10-digit form too. The check digit is checked later, by
 * describeWrongCheckDigit, because --accept-check-digit may come after this option.
 */
export function parseOrganisationNumber(value: string): string {
  const trimmed = value.trim();
  const match = ORGANISATION_NUMBER_FORM.exec(trimmed);
  if (!match) {
    const twelveDigits = /^\d{12}$/.test(trimmed.replace(/[-–]/gu, ''));
    const hint = twelveDigits ? ' Leave out the first two digits, the 16 prefix or the century.' : '';
    throw new InvalidArgumentError(`It must be 10 digits as NNNNNN-NNNN or NNNNNNNNNN, for example 556123-4567.${hint}`);
  }
  return `${match[1]}-${match[2]}`;
}

/**
 * Describes a wrong Luhn check digit in an organisation number as parseOrganisationNumber returns
 * it, or returns null when the check digit is right.
 */
export function describeWrongCheckDigit(organisationNumber: string): string | null {
  const digits = organisationNumber.replace(/\D/gu, '');
  const expected = luhnCheckDigit(digits.slice(0, 9));
  if (Number(digits[9]) === expected) return null;
  return `Its check digit, the last one, is ${digits[9]}, but the first nine digits give ${expected}.`;
}

/**
 * Reads a supplier or system name as a declaration's cover gives it: trimmed, in Unicode NFC and
 * at most MAX_NAME_LENGTH characters, so that it matches the names declarations give.
 */
export function readName(option: string, value: string): string {
  const name = value.normalize('NFC').trim();
  if (name === '') throw new InvalidArgumentError(`${option} is empty; give the name as the declarations write it.`);
  if (name.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(`${option} has ${name.length} characters, more than the ${MAX_NAME_LENGTH} a declaration's name may have.`);
  }
  return name;
}

async function addSupplier(input: AddSupplierOptions): Promise<void> {
  const options = { ...input, name: readName('--name', input.name), system: input.system?.map((system) => readName('--system', system)) };
  const code = supplierCodeFor({ ...emptyCover(), supplier: options.name, organisationNumber: options.orgNumber ?? null });
  if (!code) throw new Error(`The name ${JSON.stringify(options.name)} gives no party code; give a name with letters or digits.`);

  const context = await openAppContext();
  try {
    const { prisma } = context.database;
    const existing = await prisma.party.findUnique({ where: { code }, select: { kind: true, name: true, organisationNumber: true } });
    if (existing && existing.kind !== 'supplier') throw new Error(`The code ${code} belongs to a party of another kind.`);
    if (existing && !sameName(existing.name, options.name)) {
      throw new Error(
        `Supplier ${code} already exists as ${JSON.stringify(existing.name)}, not ${JSON.stringify(options.name)}. Nothing was stored. ` +
          `Give --name ${JSON.stringify(existing.name)} to add business systems to it.`,
      );
    }

    const supplier = await prisma.party.upsert({
      where: { code },
      create: { code, kind: 'supplier', name: options.name, organisationNumber: options.orgNumber ?? null },
      update: {},
      select: { id: true, code: true, name: true },
    });

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

    const created = existing === null;
    if (options.json) {
      console.log(JSON.stringify({ code: supplier.code, name: supplier.name, created, systems }, null, 2));
      return;
    }
    const state = created ? 'added' : 'exists already and is unchanged';
    console.log(`Supplier ${supplier.code} ${state}: ${supplier.name}`);
    for (const system of systems) console.log(`  business system ${system.id}: ${system.name}`);
  } finally {
    await context.close();
  }
}

async function listSuppliers(json: boolean): Promise<void> {
  const context = await openAppContext();
  try {
    const suppliers = await context.database.prisma.party.findMany({
      where: { kind: 'supplier' },
      select: {
        code: true,
        name: true,
        organisationNumber: true,
        _count: { select: { declarations: true } },
        businessSystems: { select: { id: true, name: true }, orderBy: { name: 'asc' } },
      },
      orderBy: { code: 'asc' },
    });
    const listed = suppliers.map(({ _count, businessSystems, ...supplier }) => ({ ...supplier, declarations: _count.declarations, systems: businessSystems }));
    if (json) {
      console.log(JSON.stringify(listed, null, 2));
      return;
    }
    if (listed.length === 0) {
      console.log('No suppliers are stored. Add one with `avvik suppliers add --name NAME --org-number NUMBER`, or ingest one of its declarations.');
      return;
    }
    for (const supplier of listed) {
      const organisationNumber = supplier.organisationNumber ? `, organisation number ${supplier.organisationNumber}` : '';
      console.log(`${supplier.code}  ${supplier.name}${organisationNumber}, ${supplier.declarations} declaration${supplier.declarations === 1 ? '' : 's'}`);
      for (const system of supplier.systems) console.log(`  business system ${system.id}: ${system.name}`);
    }
  } finally {
    await context.close();
  }
}


import { InvalidArgumentError } from 'commander';
import { createApiUser, listApiUsers, revokeApiUser, UserInputError, type NewUser, type UserSummary } from '../api/users.ts';
import { openAppContext } from './context.ts';

/** Creates a user and prints its token once; only the token's SHA-256 is stored. */
export async function createUserCommand(request: NewUser, json: boolean): Promise<void> {
  const context = await openAppContext();
  try {
    const { user, token } = await createApiUser(context.database.prisma, request);
    if (json) {
      console.log(JSON.stringify({ ...user, token }, null, 2));
      return;
    }
    console.log(`Created user ${user.id}: ${describeUser(user)}.`);
    console.log(`API token, shown only now; store it safely and send it as 'Authorization: Bearer TOKEN':\n${token}`);
  } catch (error) {
    // An option that does not fit the role is a usage error, which main.ts follows with the pointer to --help.
    if (error instanceof UserInputError) throw new InvalidArgumentError(error.message);
    throw error;
  } finally {
    await context.close();
  }
}

export async function revokeUserCommand(id: string): Promise<void> {
  const context = await openAppContext();
  try {
    const user = await revokeApiUser(context.database.prisma, id);
    if (!user) throw new Error(`No user has the id ${id}. List the users with \`avvik users list\`.`);
    console.log(`Revoked the token of user ${user.id} (${user.name}) as of ${user.revokedAt}.`);
  } finally {
    await context.close();
  }
}

export async function listUsersCommand(json: boolean): Promise<void> {
  const context = await openAppContext();
  try {
    const users = await listApiUsers(context.database.prisma);
    if (json) {
      console.log(JSON.stringify(users, null, 2));
      return;
    }
    if (users.length === 0) {
      console.log('No users. Create one with `avvik users create --name NAME --role administration`.');
      return;
    }
    for (const user of users) {
      const state = user.revokedAt ? `revoked ${user.revokedAt}` : 'active';
      console.log(`${user.id}  ${describeUser(user)}  created ${user.createdAt}  ${state}`);
    }
  } finally {
    await context.close();
  }
}

function describeUser(user: UserSummary): string {
  const link = user.role === 'municipality'
    ? `system ${user.system?.name ?? '?'} (${user.system?.id ?? '?'}), ${user.municipality ?? '?'}`
    : `party ${user.party ?? '?'}`;
  return `${user.name}, ${user.role}, ${link}`;
}

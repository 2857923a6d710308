// Clerk's JavaScript backend SDK (@clerk/backend) against a Clerk Backend
// API: every organization-invitation method the SDK has, error paths
// included. Each result is compared field for field with the response the
// server sent for it, and each response with the wire contract.
//
//   node clerk-backend.mjs http://127.0.0.1:8080/v1
//
// The base URL (argument or CLERK_INTEROP_URL) ends with the API version,
// as the SDK's apiUrl plus apiVersion do. CLERK_INTEROP_ORG names an
// organization with no invitations yet (default org_interop), and
// CLERK_INTEROP_MEMBER an address that is already a member of it (default
// member@example.com). CLERK_SECRET_KEY defaults to sk_test_interop.

import { Recorder, Tally } from './lib/checks.mjs';
import { errorCases, invitationChecks, listChecks } from './lib/backend-checks.mjs';

const base = process.argv[2] ?? process.env.CLERK_INTEROP_URL;
if (!base) {
  console.error('usage: node clerk-backend.mjs BASE_URL (or set CLERK_INTEROP_URL), e.g. http://127.0.0.1:8080/v1');
  process.exit(2);
}
// Every call ends: a server that stops answering fails the run after two
// minutes instead of holding it.
setTimeout(() => {
  console.log('FAIL  the suite did not finish within 2 minutes');
  process.exit(1);
}, 120_000).unref();

const org = process.env.CLERK_INTEROP_ORG || 'org_interop';
const member = process.env.CLERK_INTEROP_MEMBER || 'member@example.com';
const secretKey = process.env.CLERK_SECRET_KEY || 'sk_test_interop';

// The recorder must wrap fetch before the SDK captures it.
const rec = new Recorder();
const { createClerkClient } = await import('@clerk/backend');
const { version } = (await import('@clerk/backend/package.json', { with: { type: 'json' } })).default;

const url = new URL(base);
const parts = url.pathname.replace(/\/+$/, '').split('/');
const apiVersion = parts.pop();
const clerk = createClerkClient({ secretKey, apiUrl: url.origin + parts.join('/'), apiVersion });
const api = clerk.organizations;
const t = new Tally(`@clerk/backend ${version}`);

const tag = Math.random().toString(36).slice(2, 8);
const addr = (name) => `js-${tag}-${name}@example.com`;
const DAY = 24 * 60 * 60 * 1000;

async function main() {
  // Create, with every optional field, and without any.
  const full = await rec.run(() =>
    api.createOrganizationInvitation({
      organizationId: org,
      emailAddress: addr('a'),
      role: 'org:admin',
      expiresInDays: 7,
      inviterUserId: 'user_interop',
      publicMetadata: { team: 'core', seats: [1, 2] },
      privateMetadata: { note: 'from the JS SDK' },
      redirectUrl: 'https://example.com/welcome',
    }),
  );
  const a = invitationChecks(t, 'create (all fields)', full, {
    email_address: addr('a'),
    role: 'org:admin',
    organization_id: org,
    status: 'pending',
    inviter_id: 'user_interop',
    public_metadata: { team: 'core', seats: [1, 2] },
    private_metadata: { note: 'from the JS SDK' },
  });
  if (a) {
    t.equal('create (all fields): expires in 7 days', a.expires_at - a.created_at, 7 * DAY);
    t.equal('create (all fields): public_inviter_data names the inviter', a.public_inviter_data?.user_id, 'user_interop');
  }
  const minimal = await rec.run(() =>
    api.createOrganizationInvitation({ organizationId: org, emailAddress: addr('b'), role: 'org:member' }),
  );
  const b = invitationChecks(t, 'create (required fields)', minimal, {
    email_address: addr('b'),
    role: 'org:member',
    status: 'pending',
    inviter_id: null,
    public_inviter_data: null,
    public_metadata: {},
    private_metadata: {},
  });
  if (b) {
    t.equal('create (required fields): expires in 30 days', b.expires_at - b.created_at, 30 * DAY);
  }

  // Bulk create: three at once, in the order given.
  const bulk = await rec.run(() =>
    api.createOrganizationInvitationBulk(org, [
      { emailAddress: addr('c'), role: 'org:member' },
      { emailAddress: addr('d'), role: 'org:member', publicMetadata: { n: 4 } },
      { emailAddress: addr('e'), role: 'org:admin', expiresInDays: 1 },
    ]),
  );
  const created = listChecks(t, 'bulk create', bulk, { total: 3 });
  t.equal('bulk create: addresses in order', created?.map((i) => i.email_address), [addr('c'), addr('d'), addr('e')]);

  // Get and revoke.
  if (a) {
    const got = await rec.run(() => api.getOrganizationInvitation({ organizationId: org, invitationId: a.id }));
    const g = invitationChecks(t, 'get', got, {});
    t.equal('get: the same invitation as create returned', g, a);
  }
  if (b) {
    const revoked = await rec.run(() =>
      api.revokeOrganizationInvitation({ organizationId: org, invitationId: b.id, requestingUserId: 'user_interop' }),
    );
    const r = invitationChecks(t, 'revoke', revoked, { id: b.id, status: 'revoked' });
    t.check('revoke: updated_at moves on', r && r.updated_at >= b.updated_at);
  }

  await lists(a, b, created ?? []);
  await errorCases(t, rec, api, { org, member, addr, a, b });
  return t.summary();
}

// lists runs the list method with each filter the SDK types: status (one
// and several), limit and offset.
async function lists(a, b, created) {
  const newest = [...created].reverse().map((i) => i.id);
  const all = [...newest, b?.id, a?.id];
  const pending = [...newest, a?.id];
  const list = async (name, params, want) => {
    const res = await rec.run(() => api.getOrganizationInvitationList({ organizationId: org, ...params }));
    listChecks(t, name, res, want);
    if (params.status?.length > 1) {
      t.equal(`${name}: sent as repeated status`, new URL(res.ex.url).searchParams.getAll('status'), params.status);
    }
  };

  await list('list', {}, { ids: all, total: 5 });
  await list('list status=[pending]', { status: ['pending'] }, { ids: pending, total: 4, statuses: ['pending'] });
  await list('list status=[revoked]', { status: ['revoked'] }, { ids: [b?.id], total: 1, statuses: ['revoked'] });
  await list('list status=[pending,revoked]', { status: ['pending', 'revoked'] }, { ids: all, total: 5 });
  await list('list status=[revoked,accepted]', { status: ['revoked', 'accepted'] }, { ids: [b?.id], total: 1 });
  await list('list status=[accepted]', { status: ['accepted'] }, { ids: [], total: 0 });
  await list('list limit=2', { limit: 2 }, { ids: all.slice(0, 2), total: 5 });
  await list('list limit=2 offset=2', { limit: 2, offset: 2 }, { ids: all.slice(2, 4), total: 5 });
  await list('list limit=2 offset=4', { limit: 2, offset: 4 }, { ids: all.slice(4), total: 5 });
  await list('list offset=9', { offset: 9 }, { ids: [], total: 5 });
  await list(
    'list status=[pending,expired] limit=3 offset=1',
    { status: ['pending', 'expired'], limit: 3, offset: 1 },
    { ids: pending.slice(1, 4), total: 4 },
  );
}

process.exitCode = await main().catch((e) => {
  console.log(`FAIL  the suite stopped: ${e?.stack ?? e}`);
  t.summary();
  return 1;
});

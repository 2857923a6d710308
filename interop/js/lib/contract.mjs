// The shapes the wire contract (../shared/wire-contract.md and its
// reference/org-invitations.wire.json) gives the responses, as functions
// that list what a JSON value lacks or gets wrong. Fields in the OPTIONAL
// sets may be absent; when present they must have their type.
// They judge the server's bytes, independently of any SDK's model: an SDK
// that ignores a field would not notice it missing.

const STATUSES = ['pending', 'accepted', 'revoked', 'expired'];

const isInt = (v) => Number.isSafeInteger(v);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isString = (v) => typeof v === 'string';
const orNull = (test) => (v) => v === null || test(v);

const OPTIONAL_INVITATION = new Set(['organization_id', 'status', 'private_metadata']);
const OPTIONAL_ORGANIZATION = new Set(['image_url']);

const INVITATION = {
  object: (v) => v === 'organization_invitation',
  id: (v) => isString(v) && v !== '',
  email_address: isString,
  role: isString,
  role_name: isString,
  organization_id: isString,
  inviter_id: orNull(isString),
  public_inviter_data: orNull(isObject),
  status: (v) => STATUSES.includes(v),
  public_metadata: isObject,
  private_metadata: isObject,
  url: orNull(isString),
  expires_at: orNull(isInt),
  created_at: isInt,
  updated_at: isInt,
};

const INVITER = {
  user_id: isString,
  first_name: orNull(isString),
  last_name: orNull(isString),
  image_url: isString,
  has_image: (v) => typeof v === 'boolean',
  identifier: isString,
};

const ORGANIZATION = {
  id: isString,
  name: isString,
  slug: isString,
  image_url: isString,
  has_image: (v) => typeof v === 'boolean',
};

function fields(where, value, shape, optional = new Set()) {
  if (!isObject(value)) {
    return [`${where} is not an object`];
  }
  const out = [];
  for (const [name, ok] of Object.entries(shape)) {
    if (!(name in value)) {
      if (!optional.has(name)) {
        out.push(`${where}.${name} is missing`);
      }
    } else if (!ok(value[name])) {
      out.push(`${where}.${name} is ${JSON.stringify(value[name])}`);
    }
  }
  return out;
}

// invitationProblems lists what an invitation lacks; withOrganization adds
// the instance-wide list's public_organization_data.
export function invitationProblems(inv, where = 'invitation', withOrganization = false) {
  const out = fields(where, inv, INVITATION, OPTIONAL_INVITATION);
  if (isObject(inv?.public_inviter_data)) {
    out.push(...fields(`${where}.public_inviter_data`, inv.public_inviter_data, INVITER));
  }
  if (withOrganization) {
    out.push(...fields(`${where}.public_organization_data`, inv?.public_organization_data, ORGANIZATION, OPTIONAL_ORGANIZATION));
  }
  return out;
}

// pageProblems lists what a page of invitations lacks.
export function pageProblems(page, withOrganization = false) {
  if (!isObject(page)) {
    return ['the page is not an object'];
  }
  const out = [];
  if (!isInt(page.total_count)) {
    out.push(`total_count is ${JSON.stringify(page.total_count)}`);
  }
  if (!Array.isArray(page.data)) {
    return [...out, 'data is not an array'];
  }
  page.data.forEach((inv, i) => out.push(...invitationProblems(inv, `data[${i}]`, withOrganization)));
  return out;
}

// errorProblems lists what a Clerk error body lacks.
export function errorProblems(body) {
  if (!isObject(body) || !Array.isArray(body.errors) || body.errors.length === 0) {
    return ['the body has no errors array'];
  }
  const out = [];
  body.errors.forEach((e, i) => {
    for (const name of ['message', 'long_message', 'code']) {
      if (!isString(e?.[name])) {
        out.push(`errors[${i}].${name} is ${JSON.stringify(e?.[name])}`);
      }
    }
  });
  return out;
}

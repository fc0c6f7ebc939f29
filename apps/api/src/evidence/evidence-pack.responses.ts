import { z } from 'zod';
import { projectResponse, serviceResponse } from '../catalogue/catalogue.responses.js';
import { auditEventResponse, deliverableResponse } from '../deliverables/deliverable.responses.js';
import { timeOut } from '../http/openapi/response-schemas.js';

export const EVIDENCE_PACK_FORMAT = 'baton.evidence-pack/1';

const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('hex SHA-256 of the canonical JSON of the member');

export const evidencePackDigests = z
  .object({
    deliverable: sha256Hex,
    service: sha256Hex,
    project: sha256Hex,
    history: sha256Hex,
    chain: sha256Hex,
  })
  .describe(
    'a digest per member, signed with the rest: a verifier whose signature check fails names the member that changed',
  );

export const evidencePackResponse = z
  .object({
    format: z.literal(EVIDENCE_PACK_FORMAT),
    generatedAt: timeOut,
    deliverable: deliverableResponse.describe('as GET /v1/deliverables/:id presents it to the caller'),
    service: serviceResponse.describe('as GET /v1/services/:id presents it'),
    project: projectResponse.describe('as GET /v1/projects/:id presents it'),
    history: z
      .array(auditEventResponse)
      .describe(
        'every audit event, as GET /v1/deliverables/:id/history gives them: oldest first, all of them',
      ),
    chain: z
      .object({
        verified: z
          .boolean()
          .describe(
            "the audit hash chain recomputed from the stored events holds, up to the deliverable's head",
          ),
        head: z.string().nullable().describe('the hash of the last event'),
      })
      .describe('the audit chain as Baton found it when it made the pack'),
    digests: evidencePackDigests,
    signature: z
      .object({
        alg: z.literal('Ed25519'),
        keyId: z.string().describe('the kid of the key in GET /v1/evidence-keys'),
        value: z
          .string()
          .describe(
            'base64 Ed25519 signature of the canonical JSON (keys sorted at every level, no spaces, as for the audit hash) of the pack without its signature member',
          ),
      })
      .describe('made with the key named; check it against GET /v1/evidence-keys, offline if saved'),
  })
  .meta({
    id: 'EvidencePack',
    description:
      'One signed document that shows a handover happened as the policy says: the deliverable, its service and project, its whole audit history and chain, signed with Ed25519',
  });
export type EvidencePack = z.input<typeof evidencePackResponse>;
export type UnsignedEvidencePack = Omit<EvidencePack, 'signature'>;

export const evidenceKeysResponse = z
  .object({
    keys: z
      .array(
        z.object({
          kty: z.literal('OKP'),
          crv: z.literal('Ed25519'),
          kid: z.string().describe('base64url SHA-256 JWK thumbprint (RFC 7638)'),
          x: z.string().describe('the public key, base64url'),
          use: z.literal('sig'),
          alg: z.literal('EdDSA'),
        }),
      )
      .describe('every key that ever signed a pack here, the current one first'),
  })
  .meta({
    id: 'EvidenceKeys',
    description: 'The public keys of evidence packs, as a JWKS (RFC 7517, RFC 8037)',
  });

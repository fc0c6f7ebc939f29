import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Principal } from '@baton/access';
import { type FastifyReply } from 'fastify';
import { type z } from 'zod';
import { CurrentPrincipal, Public } from '../auth/auth.decorators.js';
import { negotiateOrRefuse } from '../http/content-negotiation.js';
import { Responds, RespondsNegotiated } from '../http/openapi/responds.decorator.js';
import { UuidParam } from '../http/validation/uuid-param.js';
import { EvidenceKeys } from './evidence-keys.js';
import { evidencePdfFileName, renderEvidencePdf } from './evidence-pack.pdf.js';
import { evidenceKeysResponse, evidencePackResponse } from './evidence-pack.responses.js';
import { EvidencePackService } from './evidence-pack.service.js';

const PACK_MEDIA_TYPES = ['application/json', 'application/pdf'] as const;

@ApiTags('evidence')
@Controller('v1')
export class EvidencePackController {
  constructor(
    private readonly packs: EvidencePackService,
    private readonly keys: EvidenceKeys,
  ) {}

  @Get('deliverables/:id/evidence-pack')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The signed evidence pack of a deliverable: JSON (signed with Ed25519, keys at /v1/evidence-keys), ' +
      'or with Accept: application/pdf the same content as a document to read',
  })
  @RespondsNegotiated(
    200,
    'The evidence pack',
    evidencePackResponse,
    { 'application/pdf': { type: 'string', contentMediaType: 'application/pdf' } },
    { headers: ['Content-Disposition'] },
  )
  async pack(
    @CurrentPrincipal() by: Principal,
    @UuidParam() id: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | Buffer> {
    const mediaType = negotiateOrRefuse(accept, PACK_MEDIA_TYPES);
    const pack = await this.packs.make(id, by);
    void reply.header('Vary', 'Accept').header('Cache-Control', 'no-store');
    if (mediaType === 'application/json') {
      void reply.type('application/json; charset=utf-8');
      // Serialised here, once: the bytes sent are the ones whose canonical form was signed.
      return JSON.stringify(pack);
    }
    void reply
      .type('application/pdf')
      .header('Content-Disposition', `attachment; filename="${evidencePdfFileName(pack)}"`);
    return renderEvidencePdf(pack);
  }

  @Get('evidence-keys')
  @Public()
  @ApiOperation({ summary: 'The public keys that sign evidence packs, as a JWKS (no token needed)' })
  @Responds(200, 'Every key that ever signed a pack here, the current one first', evidenceKeysResponse)
  async evidenceKeys(): Promise<z.input<typeof evidenceKeysResponse>> {
    return this.keys.jwks();
  }
}

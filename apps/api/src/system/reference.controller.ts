import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeWorkflow, GLOSSARY, PRACTICES, type WorkflowDescription } from '@baton/handover';
import { type z } from 'zod';
import { type SameShape } from '../http/openapi/response-schemas.js';
import { Responds } from '../http/openapi/responds.decorator.js';
import { glossaryResponse, practicesResponse, workflowResponse } from './system.responses.js';

// Served as the domain describes it.
const sameShapes = [
  true satisfies SameShape<WorkflowDescription, z.output<typeof workflowResponse>>,
  true satisfies SameShape<typeof GLOSSARY, z.output<typeof glossaryResponse>>,
  true satisfies SameShape<(typeof PRACTICES)[number], z.output<typeof practicesResponse>['items'][number]>,
];
void sameShapes;

/** The machine and the shared vocabulary, both generated from the domain library. */
@ApiTags('reference')
@ApiBearerAuth()
@Controller('v1')
export class ReferenceController {
  private readonly workflow = describeWorkflow();

  @Get('workflow')
  @ApiOperation({
    summary: 'The handover machine: version, states, events, gates and a Mermaid stateDiagram-v2',
  })
  @Responds(200, 'The machine', workflowResponse)
  getWorkflow(): z.input<typeof workflowResponse> {
    return this.workflow;
  }

  @Get('glossary')
  @ApiOperation({ summary: 'PMO and SMO terms side by side, and every status in both languages' })
  @Responds(200, 'The glossary', glossaryResponse)
  getGlossary(): z.input<typeof glossaryResponse> {
    return GLOSSARY;
  }

  @Get('practices')
  @ApiOperation({
    summary:
      'The 34 ITIL 4 management practices, each with the PRINCE2 themes and processes and the PMBOK performance domains it touches, and the handover statuses where it matters',
  })
  @Responds(200, 'The practice catalogue', practicesResponse)
  getPractices(): z.input<typeof practicesResponse> {
    return { items: [...PRACTICES] };
  }
}

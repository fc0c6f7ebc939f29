import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeWorkflow, GLOSSARY } from '@baton/handover';

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
  getWorkflow() {
    return this.workflow;
  }

  @Get('glossary')
  @ApiOperation({ summary: 'PMO and SMO terms side by side, and every status in both languages' })
  getGlossary() {
    return GLOSSARY;
  }
}

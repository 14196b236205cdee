import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { SigilHealthIndicator } from '@sigil/nestjs';

/**
 * `GET /health`: one tiny LM call. With `@nestjs/terminus` installed, pass the same check to
 * `HealthCheckService.check([() => this.sigil.isHealthy('lm')])` instead.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly sigil: SigilHealthIndicator) {}

  @Get()
  async check() {
    const result = await this.sigil.isHealthy('lm', { timeoutMs: 3_000 });
    if (result.lm.status === 'down')
      throw new ServiceUnavailableException({ status: 'error', details: result });
    return { status: 'ok', details: result };
  }
}

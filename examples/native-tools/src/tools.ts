import { IsIn, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { Tool } from '@sigil/core';

/** The arguments of `get_weather`: their JSON schema comes from the class, and calls are validated with it. */
export class WeatherArgs {
  @IsString() @MinLength(2) city!: string;
  @Min(1) @Max(7) days!: number;
  @IsOptional() @IsIn(['celsius', 'fahrenheit']) unit?: string;
}

const FORECASTS: Record<string, number[]> = {
  oslo: [4, 6, 5, 3, 2, 4, 7],
  rome: [19, 21, 22, 20, 18, 19, 23],
  lima: [17, 17, 18, 16, 17, 18, 18],
};

/** A forecast tool built from a function and an argument class. */
export const weather = new Tool(
  async ({ city, days, unit }, { signal }) => {
    signal.throwIfAborted();
    const temperatures = FORECASTS[city.toLowerCase()];
    if (!temperatures) return `No forecast for ${city}.`;
    const shown = temperatures
      .slice(0, days)
      .map((c) => (unit === 'fahrenheit' ? Math.round((c * 9) / 5 + 32) : c));
    return { city, unit: unit ?? 'celsius', highs: shown };
  },
  {
    name: 'get_weather',
    desc: 'Daily high temperatures for a city, for the next 1 to 7 days.',
    argsType: WeatherArgs,
    argDesc: { city: 'the city name, e.g. "Oslo"' },
    timeoutMs: 5_000,
  },
);

/** A tool whose arguments are given as a JSON schema. */
export const packingAdvice = new Tool(
  ({ coldest }: { coldest: number }) =>
    coldest < 8 ? 'a warm coat' : coldest < 18 ? 'a light jacket' : 't-shirts',
  {
    name: 'packing_advice',
    desc: 'What to pack for the coldest day of a trip (°C).',
    schema: { type: 'object', properties: { coldest: { type: 'number' } }, required: ['coldest'] },
  },
);

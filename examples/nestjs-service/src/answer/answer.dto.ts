import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** The body of `POST /answer`, validated by Nest's ValidationPipe with class-validator. */
export class AnswerRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1_000)
  question!: string;
}

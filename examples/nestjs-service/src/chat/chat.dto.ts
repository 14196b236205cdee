import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** The body of `POST /chat/:conversationId`. */
export class ChatRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1_000)
  message!: string;
}

/** The conversation id in the path: letters, digits, `-` and `_`. */
export const CONVERSATION_ID = /^[\w-]{1,64}$/;

export class ConversationParams {
  @Matches(CONVERSATION_ID)
  conversationId!: string;
}

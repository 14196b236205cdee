// One process of the shared-cache tests: asks its LM (Redis cache tier) each prompt it is sent over IPC
// and prints what came back.
import { LM } from '@sigil/core';
import { redisCache } from '@sigil/distributed';

const [redis, baseURL, namespace] = process.argv.slice(2);
const cache = redisCache({ redis, namespace });
const lm = new LM('openai/test', { baseURL, apiKey: 'sk-test', cache });
process.on('message', (message: { prompt?: string; quit?: boolean }) => {
  if (message.quit) {
    void cache.store!.flush().then(() => process.exit(0));
    return;
  }
  void lm.call([{ role: 'user', content: message.prompt! }]).then(
    (response) =>
      console.log(
        JSON.stringify({
          prompt: message.prompt,
          text: response.completions[0].text,
          cached: response.cached,
        }),
      ),
    (error: Error) => console.log(JSON.stringify({ prompt: message.prompt, error: error.message })),
  );
});
console.log(JSON.stringify({ ready: true }));

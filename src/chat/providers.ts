// The language model: the built-in offline model by default, or any OpenAI-compatible endpoint
// when LLM_BASE_URL is set (same tools, same system prompt).
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Config } from '../config.ts';
import { createOfflineModel } from './offline-model.ts';

export interface ModelChoice {
  model: LanguageModel;
  name: string;
  offline: boolean;
}

export function chooseModel(config: Config): ModelChoice {
  if (config.LLM_BASE_URL) {
    const provider = createOpenAICompatible({ name: 'llm', baseURL: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY });
    const name = config.LLM_MODEL ?? 'gpt-4o-mini';
    return { model: provider.chatModel(name), name, offline: false };
  }
  // A short pause between chunks so a page shows the answer being written, like a hosted model.
  return { model: createOfflineModel({ chunkDelayMs: 10 }), name: 'woodstock-offline', offline: true };
}

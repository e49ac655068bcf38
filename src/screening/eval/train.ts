// Learns the screening model's weights on the tuning set (narratives.json) and writes them to
// src/screening/indicators/model.json. `npm run train:screening`. Never reads the held-out set.
//
// Method: logistic regression over FEATURES (indicator present, and a few combinations), full-batch gradient descent
// from zero weights for a fixed number of steps with L2 regularisation, so the same tuning set always gives the same
// weights. The threshold is chosen for recall on scores the model did not see: each narrative is scored by a model
// trained without its fold (5 folds by position), and the threshold is the highest such score that still keeps
// cross-validated recall at or above RECALL_TARGET.

import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { explainIndicators } from '../indicators/explain.ts'
import { FEATURES, featureVector, MODEL_FILE, type ScoringModel } from '../indicators/model.ts'
import { loadNarratives, NARRATIVES_FILE } from './evaluate.ts'

export const RECALL_TARGET = 0.95
const STEPS = 4000
const LEARNING_RATE = 0.5
export const REGULARISATION = 0.02
const FOLDS = 5

export interface Example {
  x: number[]
  y: 0 | 1
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/** Weights (bias first) by full-batch gradient descent with L2 on the weights (not the bias). */
export function fit(examples: Example[], lambda = REGULARISATION): number[] {
  const n = examples.length
  const d = FEATURES.length
  const w = new Array<number>(d + 1).fill(0)
  const grad = new Array<number>(d + 1)
  for (let step = 0; step < STEPS; step++) {
    grad.fill(0)
    for (const { x, y } of examples) {
      let z = w[0]
      for (let j = 0; j < d; j++) z += w[j + 1] * x[j]
      const error = sigmoid(z) - y
      grad[0] += error
      for (let j = 0; j < d; j++) grad[j + 1] += error * x[j]
    }
    w[0] -= (LEARNING_RATE * grad[0]) / n
    for (let j = 0; j < d; j++) w[j + 1] -= LEARNING_RATE * (grad[j + 1] / n + lambda * w[j + 1])
  }
  return w
}

function scoreWith(w: number[], x: number[]): number {
  let z = w[0]
  for (let j = 0; j < x.length; j++) z += w[j + 1] * x[j]
  return z
}

/** Cross-validated scores: each example scored by a model fitted without its fold. */
export function crossValidatedScores(examples: Example[], lambda = REGULARISATION): number[] {
  const scores = new Array<number>(examples.length)
  for (let fold = 0; fold < FOLDS; fold++) {
    const train = examples.filter((_, i) => i % FOLDS !== fold)
    const w = fit(train, lambda)
    examples.forEach((example, i) => {
      if (i % FOLDS === fold) scores[i] = scoreWith(w, example.x)
    })
  }
  return scores
}

/** The highest threshold keeping recall >= target over the scores (the positives' scores, sorted). */
export function thresholdForRecall(scores: number[], labels: (0 | 1)[], target = RECALL_TARGET): number {
  const positives = scores.filter((_, i) => labels[i] === 1).sort((a, b) => b - a)
  if (positives.length === 0) return 0
  const needed = Math.ceil(target * positives.length)
  // Just below the needed-th positive's score, so that score and every higher one pass.
  return Math.round((positives[needed - 1] - 0.0005) * 1000) / 1000
}

/**
 * Precision and recall of the cross-validated scores at a threshold: how the model does on narratives it was not
 * fitted on. This is how candidate feature sets are compared (on the tuning set only, never on a held-out set).
 */
export function crossValidatedFigures(
  scores: number[],
  labels: (0 | 1)[],
  threshold: number,
): { precision: number; recall: number } {
  let tp = 0
  let fp = 0
  let fn = 0
  scores.forEach((s, i) => {
    if (s >= threshold && labels[i] === 1) tp++
    else if (s >= threshold) fp++
    else if (labels[i] === 1) fn++
  })
  const round = (value: number) => Math.round(value * 1000) / 1000
  return { precision: round(tp + fp ? tp / (tp + fp) : 1), recall: round(tp + fn ? tp / (tp + fn) : 1) }
}

export function examplesOf(narratives: { text: string; suggestsStalking: boolean }[]): Example[] {
  return narratives.map((n) => ({
    x: featureVector(explainIndicators(n.text)),
    y: n.suggestsStalking ? 1 : 0,
  }))
}

export function trainModel(files: string[] = [NARRATIVES_FILE]): ScoringModel {
  const narratives = files.flatMap((file) => loadNarratives(file))
  const examples = examplesOf(narratives)
  const w = fit(examples)
  const labels = examples.map((e) => e.y)
  const scores = crossValidatedScores(examples)
  const threshold = thresholdForRecall(scores, labels)
  const round = (value: number) => Math.round(value * 1000) / 1000
  return {
    method: `logistic regression, full-batch gradient descent (${STEPS} steps, rate ${LEARNING_RATE}) from zero weights`,
    tuningSet: files.map((file) => file.slice(file.lastIndexOf('/src/') + 1)),
    narratives: narratives.length,
    regularisation: REGULARISATION,
    bias: round(w[0]),
    weights: Object.fromEntries(FEATURES.map((feature, j) => [feature.id, round(w[j + 1])])),
    threshold,
    thresholdRule: `the highest threshold keeping ${FOLDS}-fold cross-validated recall on the tuning set >= ${RECALL_TARGET}`,
    crossValidated: crossValidatedFigures(scores, labels, threshold),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const model = trainModel()
  writeFileSync(MODEL_FILE, JSON.stringify(model, null, 2) + '\n', 'utf8')
  console.log(`Trained on ${model.narratives} narratives; threshold ${model.threshold}; wrote ${MODEL_FILE}`)
  const cv = model.crossValidated
  if (cv) console.log(`${FOLDS}-fold cross-validated on the tuning set: precision ${cv.precision}, recall ${cv.recall}`)
  for (const [id, weight] of Object.entries(model.weights).sort((a, b) => b[1] - a[1]))
    console.log(`  ${id.padEnd(24)} ${weight >= 0 ? '+' : ''}${weight.toFixed(3)}`)
  console.log(`  ${'(bias)'.padEnd(24)} ${model.bias.toFixed(3)}`)
}

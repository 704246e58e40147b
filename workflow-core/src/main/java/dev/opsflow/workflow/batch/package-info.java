/**
 * Batches: one workflow over many items with bounded parallelism, failure thresholds, aggregated
 * progress ({@link dev.opsflow.workflow.batch.BatchStatus}, {@link
 * dev.opsflow.workflow.batch.BatchEvent}) and a result per item ({@link
 * dev.opsflow.workflow.batch.BatchResult}). Start with {@link dev.opsflow.workflow.batch.Batch}.
 */
package dev.opsflow.workflow.batch;

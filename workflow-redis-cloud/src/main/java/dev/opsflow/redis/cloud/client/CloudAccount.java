package dev.opsflow.redis.cloud.client;

/**
 * A cloud account ({@code GET /cloud-accounts}): the provider account that hosts Pro subscriptions;
 * id 1 is Redis's own. Immutable.
 *
 * @param id its id
 * @param name its name
 * @param provider {@code AWS} or {@code GCP}
 * @param status its status
 */
public record CloudAccount(long id, String name, String provider, String status) {}

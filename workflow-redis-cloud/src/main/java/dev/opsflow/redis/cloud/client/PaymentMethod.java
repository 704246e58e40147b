package dev.opsflow.redis.cloud.client;

/**
 * A payment method of the account ({@code GET /payment-methods}). Immutable.
 *
 * @param id its id
 * @param type its type ({@code Visa}, ...)
 * @param creditCardEndsWith the last digits of the card
 * @param nameOnCard the card holder
 * @param expirationMonth the month the card expires
 * @param expirationYear the year the card expires
 */
public record PaymentMethod(
    long id,
    String type,
    Integer creditCardEndsWith,
    String nameOnCard,
    Integer expirationMonth,
    Integer expirationYear) {}

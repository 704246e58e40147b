package dev.opsflow.redis.cloud.client;

/**
 * An Essentials (fixed) plan from {@code GET /fixed/plans}. Immutable.
 *
 * @param id the plan's id
 * @param name its name
 * @param size its memory size
 * @param sizeMeasurementUnit the unit of the size
 * @param provider {@code AWS}, {@code GCP} or {@code Azure}
 * @param region its region
 * @param price its price; 0 for the free plan
 * @param priceCurrency the currency
 * @param pricePeriod the period
 * @param maximumDatabases how many databases it allows
 * @param supportSsl whether its databases may have TLS ({@code enableTls}); null when not reported
 */
public record FixedPlan(
    long id,
    String name,
    Double size,
    String sizeMeasurementUnit,
    String provider,
    String region,
    Integer price,
    String priceCurrency,
    String pricePeriod,
    Integer maximumDatabases,
    Boolean supportSsl) {

  /** {@return whether the plan allows TLS: true only when it says so} */
  public boolean allowsTls() {
    return Boolean.TRUE.equals(supportSsl);
  }

  /** {@return whether the plan costs nothing} */
  public boolean isFree() {
    return price != null && price == 0;
  }
}

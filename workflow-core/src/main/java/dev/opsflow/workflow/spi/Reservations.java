package dev.opsflow.workflow.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Durable, exclusive claims of named resources (an IP address of a range, a hostname, a port), kept
 * by an {@link ExecutionStore} beside its runs so that they outlive a crash and are shared by every
 * engine on the same store: {@link #reserve} is atomic across threads and, for a durable store,
 * across processes, so two claimants never both hold one resource.
 *
 * <p>A reservation is {@code (pool, resource) -> holder}: the pool groups resources (an address
 * range), the holder says who keeps it (a MAAS system id) so the holder gets the same resource back
 * when it asks again after a crash. A reservation has no expiry: it lasts until its holder {@link
 * #release}s it. Names are not blank, at most 200 characters, without control characters.
 * Implementations are thread-safe.
 */
public interface Reservations {

  /** The longest pool, resource or holder name. */
  int MAX_NAME = 200;

  /**
   * Reserves {@code resource} of {@code pool} for {@code holder} if nobody holds it. Atomic.
   *
   * @param pool the pool of resources (an address range, say)
   * @param resource the resource within it (one address)
   * @param holder who reserves it (a run id, say)
   * @return the holder of the resource after the call: {@code holder} when it was free or held by
   *     {@code holder} already, else the one that holds it
   * @throws IllegalArgumentException for a bad name
   * @throws StoreException if the store fails (nothing is reserved then)
   */
  String reserve(String pool, String resource, String holder);

  /**
   * Who holds {@code resource} of {@code pool}, if anyone.
   *
   * @param pool the pool of resources
   * @param resource the resource within it
   * @return the holder, or empty when the resource is free
   */
  Optional<String> holder(String pool, String resource);

  /**
   * Every reservation of {@code pool}: resource to holder, ordered by resource.
   *
   * @param pool the pool of resources
   * @return its reservations, resource to holder
   */
  Map<String, String> list(String pool);

  /**
   * Releases {@code resource} of {@code pool} if {@code holder} holds it. Atomic.
   *
   * @param pool the pool of resources
   * @param resource the resource within it
   * @param holder who releases it; only its own reservation is released
   * @return whether it was released (false when free or held by another)
   */
  boolean release(String pool, String resource, String holder);

  /**
   * Checks a pool, resource or holder name.
   *
   * @param field which name it is ({@code pool}, {@code resource} or {@code holder}), for the
   *     message
   * @param value the name
   * @return the name, unchanged
   * @throws IllegalArgumentException naming {@code field} and what is expected
   */
  static String checkName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_NAME || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          field
              + " '"
              + value.replaceAll("\\p{Cntrl}", "?")
              + "' must be at most "
              + MAX_NAME
              + " characters without control characters");
    }
    return value;
  }
}

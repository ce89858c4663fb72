package dev.remediator.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates the sample payloads with a fixed seed and checks that every outcome is either a
 * notification or a 400 {@link PayloadException}: no other exception escapes the parser.
 */
class PayloadFuzzTest {
  private static final long SEED = 20261122L;
  private static final int ROUNDS_PER_SAMPLE = 4_000;
  private static final byte[] STRUCTURAL = "{}[]\":,\\0-.eE ".getBytes(StandardCharsets.US_ASCII);

  private final PayloadParser parser = new PayloadParser();

  @Test
  void mutatedPayloadsYieldANotificationOrA400() {
    Random random = new Random(SEED);
    int accepted = 0;
    int rejected = 0;
    for (String name : new String[] {"one", "ten", "hundred"}) {
      byte[] original = Payloads.sample(name);
      for (int round = 0; round < ROUNDS_PER_SAMPLE; round++) {
        byte[] body = original;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
          body = mutate(body, random);
        }
        try {
          parser.parse(body);
          accepted++;
        } catch (PayloadException e) {
          assertThat(e.status()).as(e.getMessage()).isEqualTo(400);
          rejected++;
        } catch (RuntimeException | StackOverflowError e) {
          fail("%s on input (base64) %s".formatted(e, Base64.getEncoder().encodeToString(body)), e);
        }
      }
    }
    assertThat(accepted).as("mutations that still parse").isPositive();
    assertThat(rejected).as("mutations that are rejected").isPositive();
  }

  private static byte[] mutate(byte[] body, Random random) {
    if (body.length == 0) {
      return new byte[] {STRUCTURAL[random.nextInt(STRUCTURAL.length)]};
    }
    int at = random.nextInt(body.length);
    switch (random.nextInt(6)) {
      case 0:
        return Arrays.copyOf(body, at);
      case 1: {
        byte[] flipped = body.clone();
        flipped[at] = (byte) random.nextInt(256);
        return flipped;
      }
      case 2: {
        byte[] flipped = body.clone();
        flipped[at] ^= (byte) (1 << random.nextInt(8));
        return flipped;
      }
      case 3:
        return insert(body, at, STRUCTURAL[random.nextInt(STRUCTURAL.length)], 1 + random.nextInt(80));
      case 4: {
        int end = Math.min(body.length, at + 1 + random.nextInt(40));
        byte[] cut = new byte[body.length - (end - at)];
        System.arraycopy(body, 0, cut, 0, at);
        System.arraycopy(body, end, cut, at, body.length - end);
        return cut;
      }
      default: {
        int end = Math.min(body.length, at + 1 + random.nextInt(200));
        byte[] copy = new byte[body.length + (end - at)];
        System.arraycopy(body, 0, copy, 0, end);
        System.arraycopy(body, at, copy, end, body.length - at);
        return copy;
      }
    }
  }

  /** {@code body} with {@code count} copies of {@code b} inserted at {@code at}. */
  private static byte[] insert(byte[] body, int at, byte b, int count) {
    byte[] grown = new byte[body.length + count];
    System.arraycopy(body, 0, grown, 0, at);
    Arrays.fill(grown, at, at + count, b);
    System.arraycopy(body, at, grown, at + count, body.length - at);
    return grown;
  }
}

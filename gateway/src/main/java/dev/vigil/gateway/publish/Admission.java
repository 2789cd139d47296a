package dev.vigil.gateway.publish;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.vigil.gateway.model.RefusedPoints;

/** What became of one request handed to the {@link BatchPublisher}: a closed set each protocol answers in its own terms. */
public sealed interface Admission {

    /**
     * Kafka acknowledged everything the request gave (its accepted points), in one transaction; {@code refused} lists
     * what was not taken, by reason. A point accepted may give no sample (the first point of a cumulative series).
     */
    record Accepted(int acceptedPoints, List<RefusedPoints> refused) implements Admission {
        public Accepted {
            refused = List.copyOf(refused);
        }

        /** How many points were refused, for every reason. */
        public int refusedPoints() {
            return refused.stream().mapToInt(RefusedPoints::points).sum();
        }

        /** The refusals in words, for a partial-success message; empty when none. */
        public String message() {
            return String.join("; ", refused.stream().map(r -> r.points() + " " + r.reason().id() + " (" + r.example() + ")").toList());
        }
    }

    /**
     * Too much is in flight towards Kafka, or Kafka did not take the request in time: nothing of it was published; the
     * client should send it again after {@code retryAfter} (HTTP 429 + Retry-After, gRPC RESOURCE_EXHAUSTED).
     */
    record Overloaded(Duration retryAfter, String message) implements Admission {
        public Overloaded {
            Objects.requireNonNull(retryAfter, "retryAfter can't be null");
            Objects.requireNonNull(message, "message can't be null");
        }
    }

    /** Kafka failed the publication for another cause: nothing was published (HTTP 503, gRPC UNAVAILABLE). */
    record Unavailable(Duration retryAfter, String message) implements Admission {
        public Unavailable {
            Objects.requireNonNull(retryAfter, "retryAfter can't be null");
            Objects.requireNonNull(message, "message can't be null");
        }
    }
}

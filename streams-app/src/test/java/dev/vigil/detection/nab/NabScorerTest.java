package dev.vigil.detection.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The scorer reproduces the reference scores of the published detectors on shared/nab to two decimals. */
class NabScorerTest {

    static final Path NAB = Path.of(System.getProperty("vigil.nab.dir", "../../shared/nab"));

    private static Map<String, List<NabWindow>> labels;

    @BeforeAll
    static void readLabels() throws Exception {
        assertThat(NAB.resolve("labels/combined_windows.json"))
                .as("the NAB corpus (shared/nab beside the checkout, or -Dvigil.nab.dir)").exists();
        labels = NabCorpus.readLabels(NAB.resolve("labels/combined_windows.json"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "numenta, 75.52, 70.68, 78.99",
        "random,  14.80,  6.96, 22.71",
        "null,     0.00,  0.00,  0.00"})
    void shouldReproduceThePublishedScores(String detector, double standard, double lowFp, double lowFn) throws Exception {
        List<NabScorer.FileScores> results = NabCorpus.readResults(NAB.resolve("results").resolve(detector), detector, labels);

        assertThat(NabScorer.score(results, NabProfile.STANDARD).normalizedScore()).isCloseTo(standard, within(0.005));
        assertThat(NabScorer.score(results, NabProfile.REWARD_LOW_FP).normalizedScore()).isCloseTo(lowFp, within(0.005));
        assertThat(NabScorer.score(results, NabProfile.REWARD_LOW_FN).normalizedScore()).isCloseTo(lowFn, within(0.005));
    }
}

package dev.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountWindowTests {

    private final CountWindow window = new CountWindow(4);

    private int failures() {
        return Tally.failures(window.tally());
    }

    @Test
    void aFailureStaysForExactlyWindowSizeCallsEvenAfterSuccessesThatChangedNothing() {
        for (int i = 0; i < 4 + 10; i++) {
            window.record(0); // the last 10 find a healthy window and write nothing
        }
        window.record(Tally.FAILED);
        assertThat(failures()).isEqualTo(1);

        for (int i = 0; i < 3; i++) {
            window.record(0);
        }
        assertThat(failures()).as("the failure is one of the last 4 calls").isEqualTo(1);

        window.record(0);
        assertThat(failures()).as("the 4th call after it evicts it").isZero();
        assertThat(Tally.calls(window.tally())).isEqualTo(4);
    }

    @Test
    void aSlowSuccessIsWrittenEvenInAHealthyWindow() {
        for (int i = 0; i < 4; i++) {
            window.record(0);
        }

        window.record(Tally.SLOW);

        assertThat(Tally.slows(window.tally())).isEqualTo(1);
    }
}

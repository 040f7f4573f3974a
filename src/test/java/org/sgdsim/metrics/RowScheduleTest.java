package org.sgdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RowScheduleTest
{
    @Test
    void fixedEvery()
    {
        final RowSchedule s = RowSchedule.every(10);
        assertEquals(10, s.nextAfter(0));
        assertEquals(20, s.nextAfter(10));
        assertEquals(20, s.nextAfter(13));
    }

    @Test
    void logSpacedIsIncreasingAndHitsDecades()
    {
        final RowSchedule s = RowSchedule.logSpaced(4);
        final List<Long> steps = new ArrayList<>();
        long step = 0;
        while (step < 10_000)
        {
            step = s.nextAfter(step);
            steps.add(step);
        }
        assertEquals(List.of(1L, 2L, 4L, 6L, 10L, 18L, 32L, 57L, 100L, 178L, 317L, 563L, 1000L, 1779L, 3163L, 5624L,
            10000L), steps);
    }
}

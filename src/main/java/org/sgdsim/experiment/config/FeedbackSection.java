package org.sgdsim.experiment.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sgdsim.train.FeedbackOptions;

/** {@code dfa.feedback.*}: how the feedback matrix is drawn and scaled and what error it projects. */
final class FeedbackSection
{
    private static final String P = "dfa.feedback.";

    private FeedbackSection()
    {
    }

    static FeedbackOptions read(final ConfigReader r)
    {
        final FeedbackOptions.Distribution distribution = r.parse(P + "distribution",
            v -> FeedbackOptions.parse(FeedbackOptions.Distribution.class, v));
        final FeedbackOptions.FeedbackScale normalization = r.parse(P + "normalization",
            v -> FeedbackOptions.parse(FeedbackOptions.FeedbackScale.class, v));
        final FeedbackOptions.Slicing slicing = r.parse(P + "slicing",
            v -> FeedbackOptions.parse(FeedbackOptions.Slicing.class, v));
        final FeedbackOptions.Transform transform = r.parse(P + "error",
            v -> FeedbackOptions.parse(FeedbackOptions.Transform.class, v));
        final double threshold = r.doubleValue(P + "threshold", 0.0, 1e6);
        final ConfigValue rescaleValue = r.config().getValue(P + "rescale");
        final FeedbackOptions.Rescale rescale;
        double constant = 1.0;
        if (rescaleValue.valueType() == ConfigValueType.NUMBER)
        {
            rescale = FeedbackOptions.Rescale.CONSTANT;
            constant = r.doubleValue(P + "rescale", Double.MIN_VALUE, 1e12);
        }
        else
        {
            final String text = r.string(P + "rescale");
            rescale = switch (text)
            {
                case "none" -> FeedbackOptions.Rescale.NONE;
                case "auto" -> FeedbackOptions.Rescale.AUTO;
                default -> throw r.error(P + "rescale", "none, auto or a positive number", text);
            };
        }
        return new FeedbackOptions(distribution, normalization, slicing, transform, threshold, rescale, constant);
    }
}

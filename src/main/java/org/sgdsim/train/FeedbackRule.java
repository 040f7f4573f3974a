package org.sgdsim.train;

/** How hidden layers of an MLP get their learning signal (dfa-optics.md §1.3). */
public enum FeedbackRule
{
    /** Backpropagation: δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(a_l). */
    BP("bp"),
    /** Feedback alignment: δ_l = (B_l δ_{l+1}) ⊙ f'(a_l), B_l fixed random n_l × n_{l+1}. */
    FA("fa"),
    /** Direct feedback alignment: δ_l = (B_l e) ⊙ f'(a_l), B_l a slice of one fixed projection. */
    DFA("dfa"),
    /** Hidden layers frozen at init; only the output layer learns. */
    SHALLOW("shallow"),
    /** DFA with the feedback matrix redrawn at every step: a control that must fail to align. */
    DFA_REDRAWN("dfa-redrawn");

    private final String configName;

    FeedbackRule(final String configName)
    {
        this.configName = configName;
    }

    /** The config name. */
    public String configName()
    {
        return configName;
    }

    /** True when the hidden signal is a projection of the output error (it goes through a Projector). */
    public boolean projects()
    {
        return this == DFA || this == DFA_REDRAWN;
    }

    /** True when hidden layers learn from a feedback signal other than BP's (alignment is then measured). */
    public boolean aligns()
    {
        return this == FA || projects();
    }

    /** Parses a config name. */
    public static FeedbackRule parse(final String name)
    {
        for (final FeedbackRule r : values())
        {
            if (r.configName.equals(name))
            {
                return r;
            }
        }
        throw new IllegalArgumentException("expected bp, fa, dfa, shallow or dfa-redrawn, got '" + name + "'");
    }
}

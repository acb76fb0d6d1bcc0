"""The likelihood-ratio tests of the `powerlaw` package (2.0.0) on the data sets where
venturelab differs from CSN Table 6.2, as an independent implementation to compare with.
Usage: python3 benches/peers/compare_powerlaw.py [DATA_DIR]"""
import sys
import numpy as np, powerlaw, warnings
DATA = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/powerlaw'
warnings.filterwarnings("ignore")
for name, disc in [("blackouts", False), ("cities", False), ("words", True)]:
    d = np.loadtxt(f'{DATA}/{name}.txt')
    f = powerlaw.Fit(d, discrete=disc, estimate_discrete=False, verbose=False) if disc else powerlaw.Fit(d, verbose=False)
    for alt in ['exponential', 'lognormal']:
        R, p = f.distribution_compare('power_law', alt, normalized_ratio=True)
        dist = getattr(f, alt)
        params = (dist.parameter1, dist.parameter2)
        print(name, alt, round(R, 3), round(p, 3), params)

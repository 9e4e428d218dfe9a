# expect: passed
# One example at a time, with math.exp and math.log after subtracting the row's max.
import math

import numpy as np


def softmax_cross_entropy(logits, labels):
    n, k = logits.shape
    total = 0.0
    dlogits = np.zeros((n, k))
    for i in range(n):
        top = max(logits[i])
        exps = [math.exp(v - top) for v in logits[i]]
        s = sum(exps)
        total += -((logits[i][labels[i]] - top) - math.log(s))
        for j in range(k):
            dlogits[i, j] = (exps[j] / s - (1.0 if j == labels[i] else 0.0)) / n
    return total / n, dlogits

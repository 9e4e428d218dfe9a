# expect: modified_input
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    d = np.exp(log_p)
    d[np.arange(n), labels] -= 1
    return float(-log_p[np.arange(n), labels].mean()), d / n

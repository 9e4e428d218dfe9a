# expect: wrong_type | one real number
# Returns the loss of every example instead of their mean.
import numpy as np


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    d = np.exp(log_p)
    d[np.arange(n), labels] -= 1
    return -log_p[np.arange(n), labels], d / n

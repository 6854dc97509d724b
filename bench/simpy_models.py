"""SimPy 3 versions of the engine bench's models, for `npm run bench` (bench/cases/engine.ts).

    python3 bench/simpy_models.py hold EVENTS     # hold model: 1,000 processes, each waits Exp(1) and repeats
    python3 bench/simpy_models.py mm1 CUSTOMERS   # M/M/1, lambda = 0.9, mu = 1, with a simpy.Resource

Prints one JSON object: items (events or customers), seconds (the env.run call only), perSecond, the
SimPy version and the process's peak RSS in MiB. Debian: apt-get install python3-simpy3.
"""
import json
import random
import resource
import sys
import time

import simpy


def hold(events):
    env = simpy.Environment()
    rng = random.Random(1)
    done = [0]

    def proc():
        while True:
            yield env.timeout(rng.expovariate(1.0))
            done[0] += 1

    for _ in range(1000):
        env.process(proc())
    # 1,000 processes with mean delay 1 handle ~1,000 events per unit of time.
    t0 = time.perf_counter()
    env.run(until=events / 1000)
    return done[0], time.perf_counter() - t0


def mm1(customers):
    env = simpy.Environment()
    rng = random.Random(1)
    server = simpy.Resource(env, capacity=1)
    done = [0]

    def customer():
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(1.0))
        done[0] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(0.9))
            env.process(customer())

    env.process(source())
    t0 = time.perf_counter()
    env.run(until=customers / 0.9)
    return done[0], time.perf_counter() - t0


def main():
    model, n = sys.argv[1], int(sys.argv[2])
    items, secs = {'hold': hold, 'mm1': mm1}[model](n)
    print(json.dumps({
        'items': items,
        'seconds': secs,
        'perSecond': items / secs,
        'simpy': simpy.__version__,
        'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == '__main__':
    main()

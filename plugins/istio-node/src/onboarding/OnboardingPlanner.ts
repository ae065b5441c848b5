import { OnboardingPlan, ObjectRef } from '@ambient-mesh/plugin-istio-common';
import { KubeClient } from './kubeClient';
import {
  NamespaceOnboardRequest,
  onboardReads,
  planNamespaceOnboard,
} from './onboardNamespace';
import { ClusterState, stateKey } from './state';

/** Options shared by every plan. */
export interface PlannerOptions {
  /** The cluster's name, reported in plans. */
  cluster: string;
  /** Namespaces refused in addition to the built-in list. */
  protectedNamespaces?: readonly string[];
}

/**
 * Computes plans from a cluster's current state: it reads (GET/LIST) what a
 * request touches, then hands the state to the pure planning functions.
 */
export class OnboardingPlanner {
  constructor(
    private readonly client: KubeClient,
    private readonly options: PlannerOptions,
  ) {}

  /** Plans `istio:namespace:onboard`. */
  async planNamespaceOnboard(
    request: NamespaceOnboardRequest,
  ): Promise<OnboardingPlan> {
    const state = await this.read(onboardReads(request));
    return planNamespaceOnboard(request, state, this.options);
  }

  /** Reads the given objects (missing ones are left out of the state). */
  async read(refs: ObjectRef[]): Promise<ClusterState> {
    const state: ClusterState = {};
    const objects = await Promise.all(refs.map(ref => this.client.get(ref)));
    refs.forEach((ref, index) => {
      const object = objects[index];
      if (object) {
        state[stateKey(ref)] = {
          ...object,
          apiVersion: ref.apiVersion,
          kind: ref.kind,
        };
      }
    });
    return state;
  }
}
